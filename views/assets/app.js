// Small progressive enhancements; every page works without this file.
(function () {
  'use strict';
  // After an htmx swap that shows a form error, move focus to the summary so
  // screen readers announce it and keyboard users land where the problem is.
  document.addEventListener('htmx:afterSettle', function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.querySelector) return;
    var alert = target.querySelector('.flash.error[tabindex="-1"], [aria-invalid="true"]');
    if (alert && typeof alert.focus === 'function') alert.focus();
  });
  // Live search and the pager change the address without a full page load; the
  // language switch must come back to that address (query included), not the
  // one the layout was rendered for.
  function rememberPath(event) {
    var path = event.detail && event.detail.path;
    if (!path) return;
    var url = new URL(path, location.href);
    if (url.origin !== location.origin) return;
    document.querySelectorAll('form[action="/lang"] input[name="next"]').forEach(function (input) {
      input.value = url.pathname + url.search;
    });
  }
  document.addEventListener('htmx:pushedIntoHistory', rememberPath);
  document.addEventListener('htmx:replacedInHistory', rememberPath);
  // Close the user menu when clicking elsewhere or pressing Escape.
  document.addEventListener('click', function (event) {
    document.querySelectorAll('details.usermenu[open]').forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute('open');
    });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    document.querySelectorAll('details.usermenu[open]').forEach(function (menu) {
      menu.removeAttribute('open');
      var summary = menu.querySelector('summary');
      if (summary) summary.focus();
    });
  });
})();
