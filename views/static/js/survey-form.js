// Progressive enhancement of the member's form: conditional questions shown and
// hidden live, and autosave a moment after the last change. Without JavaScript
// the server does both on every save.
(function () {
  'use strict';
  var form = document.querySelector('form[data-survey-form]');
  if (!form) return;

  // Elements are found by comparing attribute values, never by a selector built from a
  // question key: a key may hold quotes or brackets (a draft in the editor's preview).
  function questionBox(key) {
    var found = Array.prototype.filter.call(form.querySelectorAll('[data-question]'), function (box) {
      return box.getAttribute('data-question') === key;
    });
    return found[0] || null;
  }

  function valuesOf(name) {
    var inputs = Array.prototype.filter.call(form.elements, function (element) {
      return element.name === name;
    });
    var out = [];
    Array.prototype.forEach.call(inputs, function (input) {
      if ((input.type === 'radio' || input.type === 'checkbox') && !input.checked) return;
      if (input.value !== '') out.push(input.value);
    });
    return out;
  }

  function parseNumber(text) {
    var s = String(text).replace(/[\s€%]/g, '');
    if (/,\d+$/.test(s) || (s.indexOf('.') >= 0 && s.indexOf(',') >= 0)) s = s.replace(/\./g, '').replace(',', '.');
    else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
    var n = Number(s);
    return Number.isNaN(n) ? null : n;
  }

  // The same rules as surveys/visibility.ts: a comparison on an unanswered or hidden
  // question is false; `const` is a comparison on another page, decided by the server.
  function leafHolds(condition) {
    var box = questionBox(condition.question);
    if (!box || box.hidden) return false;
    var values = valuesOf(condition.question).map(function (v) {
      if (v === 'true') return true;
      if (v === 'false') return false;
      return v;
    });
    if (values.length === 0) return false;
    var numbers = values.map(function (v) {
      return typeof v === 'string' ? parseNumber(v) : v;
    });
    function has(x) {
      return values.indexOf(x) >= 0 || (typeof x === 'number' && numbers.indexOf(x) >= 0);
    }
    if ('equals' in condition) return has(condition.equals);
    if ('in' in condition) return condition.in.some(has);
    if ('not_equals' in condition) return !has(condition.not_equals);
    var n = numbers[0];
    if (typeof n !== 'number') return false;
    if ('gt' in condition) return n > condition.gt;
    if ('lt' in condition) return n < condition.lt;
    if ('gte' in condition) return n >= condition.gte;
    if ('lte' in condition) return n <= condition.lte;
    return false;
  }

  function holds(condition) {
    if ('const' in condition) return condition.const;
    if ('not' in condition) return !holds(condition.not);
    if ('all' in condition) return condition.all.every(holds);
    if ('any' in condition) return condition.any.some(holds);
    return leafHolds(condition);
  }

  function updateVisibility() {
    var boxes = form.querySelectorAll('[data-visible-if]');
    Array.prototype.forEach.call(boxes, function (box) {
      box.hidden = !holds(JSON.parse(box.getAttribute('data-visible-if')));
      var hint = box.querySelector('.conditional-hint');
      if (hint) hint.hidden = true;
    });
  }

  var status = form.querySelector('[data-autosave-status]');
  var versionInput = form.querySelector('input[name="version"]');
  var timer = null;
  // The autosave under way (a promise), and whether another change came in meanwhile.
  var inFlight = null;
  var again = false;
  // Set once the form is posted: no autosave may start after that, or it would
  // claim the version the post carries.
  var submitting = false;

  function autosave() {
    // The editor's preview shows the form without saving anything.
    if (submitting || !form.getAttribute('data-autosave')) return;
    if (inFlight) {
      again = true;
      return;
    }
    var data = new URLSearchParams(new FormData(form));
    data.delete('action');
    inFlight = fetch(form.getAttribute('data-autosave'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: data.toString(),
      credentials: 'same-origin',
    })
      .then(function (res) {
        return res.json().then(function (body) {
          return { status: res.status, body: body };
        });
      })
      .then(function (r) {
        if (r.status === 200 && r.body.ok) {
          // The next save (autosave or the form itself) starts from this version.
          versionInput.value = r.body.version;
          const time = new Date().toLocaleTimeString(document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL', {
            hour: '2-digit',
            minute: '2-digit',
          });
          // Say only what is true: a field kept as typed (not yet an answer) is named.
          const kept = (r.body.kept || []).map(function (key) {
            var label = form.querySelector('label[for="' + key + '"]');
            return label ? '"' + label.firstChild.textContent.trim() + '"' : key;
          });
          status.textContent = (form.getAttribute(kept.length ? 'data-msg-saved-kept' : 'data-msg-saved') || '')
            .replace('{time}', time)
            .replace('{fields}', kept.join(', '));
        } else if (r.status === 409) {
          status.textContent = form.getAttribute('data-msg-conflict') || '';
        } else {
          status.textContent = form.getAttribute('data-msg-failed') || '';
        }
      })
      .catch(function () {
        status.textContent = form.getAttribute('data-msg-failed') || '';
      })
      .then(function () {
        inFlight = null;
        if (again && !submitting) {
          again = false;
          autosave();
        }
      });
  }

  form.addEventListener('change', function () {
    updateVisibility();
    clearTimeout(timer);
    timer = setTimeout(autosave, 1500);
  });
  form.addEventListener('input', function () {
    updateVisibility();
    clearTimeout(timer);
    timer = setTimeout(autosave, 3000);
  });
  // A click on a button while an autosave is under way waits for it: the post then
  // carries the version that save produced, and the form's values supersede it.
  form.addEventListener('submit', function (event) {
    clearTimeout(timer);
    again = false;
    submitting = true;
    if (!inFlight) return;
    event.preventDefault();
    var submitter = event.submitter;
    inFlight.then(function () {
      // Post once, as the button would have: its name and value tell the server where to go.
      if (submitter && submitter.name) {
        const field = document.createElement('input');
        field.type = 'hidden';
        field.name = submitter.name;
        field.value = submitter.value;
        form.appendChild(field);
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  });
  // Back from the browser's cache after a post: the form is live again.
  window.addEventListener('pageshow', function () {
    submitting = false;
  });
  updateVisibility();
})();
