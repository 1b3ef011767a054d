// English counts agree with their number ("1 case", "2 cases"); Chinese has no plural.
import t from 'tap';
import { translator } from '../../src/i18n/index.js';

t.test('{count|one|many} picks the word by the number', async (t) => {
  const en = translator('en');
  t.equal(en('cases.count', { count: 1 }), '1 case');
  t.equal(en('cases.count', { count: 2 }), '2 cases');
  t.equal(en('cases.count', { count: 0 }), '0 cases', 'none is plural');
  t.equal(en('cases.deadline.overdueBy', { n: 1 }), 'overdue by 1 working day');
  t.equal(en('cases.deadline.left', { n: 3 }), '3 working days left');
  t.equal(en('assign.pool', { count: 1, area: 'Labour disputes' }), '1 lawyer is in line for cases of Labour disputes in this region.');
  t.equal(en('cases.count'), '{count} {count|case|cases}', 'without parameters the message is as written');
  const zh = translator('zh-CN');
  t.equal(zh('cases.count', { count: 1 }), '共 1 件', 'Chinese has no plural');
  t.equal(zh('cases.count', { count: 2 }), '共 2 件');
});
