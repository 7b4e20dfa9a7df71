// Progressive enhancement of the organisation search on the users page. Without
// JavaScript the "Zoeken" button sends the form by GET and the page lists the
// matches; with it the list follows the typing, and Enter in another field sends
// the invitation (not the search, which is the form's first button).
(function () {
  'use strict';
  var picker = document.querySelector('[data-org-picker]');
  if (!picker || !window.fetch || !window.DOMParser) return;
  var form = picker.closest('form');
  var input = picker.querySelector('#org_zoek');
  var results = picker.querySelector('[data-org-results]');
  var invite = form && form.querySelector('[data-invite-submit]');
  if (!form || !input || !results) return;

  form.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter' || event.target === input || event.target.tagName !== 'INPUT') return;
    if (invite && form.requestSubmit) {
      event.preventDefault();
      form.requestSubmit(invite);
    }
  });

  var timer = null;
  var latest = 0;
  function chosen() {
    var checked = results.querySelector('input[name="org_id"]:checked');
    return checked ? checked.value : '';
  }
  function search() {
    var query = input.value.trim();
    if (query.length < 2) return;
    var ticket = ++latest;
    var params = new URLSearchParams({ org_zoek: query, org_id: chosen() });
    fetch('/beheer/gebruikers?' + params.toString(), { credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html || ticket !== latest) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-org-results]');
        if (fresh) results.innerHTML = fresh.innerHTML;
      })
      .catch(function () {
        // The button still searches the plain way.
      });
  }
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  });
  input.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
})();
