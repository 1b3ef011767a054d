// Simplified Chinese messages of rotation; rotation.en.ts has the same keys.
export const rotationZh = {
  'rotation.err.noEligible': '目前没有符合条件的律师可以指派：请查看未入选的原因，或调整案件要求。',
  'rotation.err.moved': '轮换顺序已变化，现在轮到的是 {lawyer}。请重新确认。',
  'rotation.err.notAssigned': '只有已指派、尚未接受的案件才能拒绝。',
  'rotation.err.declineWindow': '拒绝期限已过（指派后 {days} 天内，截至 {date}）。',
  'rotation.ineligible.inactive': '该律师已停止执业，不能指派。',
  'rotation.ineligible.on_leave': '该律师当天休假，不能指派。',
  'rotation.ineligible.practice_area': '该律师的业务领域与案件类别不符。',
  'rotation.ineligible.level': '该律师的资质等级低于案件要求。',
  'rotation.ineligible.training': '该律师没有案件要求的培训。',
  'rotation.ineligible.region': '该律师不服务案件所在地区。',
  'rotation.ineligible.conflict': '该律师与对方当事人存在利益冲突。',
  'rotation.ineligible.cap': '该律师在办案件已达上限。',
  'rotation.ineligible.declined': '该律师已拒绝过本案。',
  'rotation.replay.none': '没有差异：轮换记录可以完整重现。',
  'rotation.replay.found': '发现 {n} 处差异：',
} as const;
