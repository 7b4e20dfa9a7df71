// Progressive enhancement: show upload progress for large files. Without
// JavaScript the form posts normally.
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-upload-progress]');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      event.preventDefault();
      var box = form.querySelector('.upload-progress');
      var bar = form.querySelector('progress');
      var button = form.querySelector('button[type="submit"]');
      if (box) box.hidden = false;
      if (button) button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable && bar) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener('load', function () {
        if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener('error', function () {
        form.submit();
      });
      xhr.send(new FormData(form));
    });
  });
})();
