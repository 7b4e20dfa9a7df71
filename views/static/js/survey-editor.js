// Progressive enhancement of the question editor: the values of the chosen
// controlling question appear at once. Without JavaScript they appear after saving.
(function () {
  'use strict';
  var select = document.querySelector('[data-condition-select]');
  if (!select) return;
  function update() {
    var boxes = document.querySelectorAll('[data-condition-for]');
    Array.prototype.forEach.call(boxes, function (box) {
      box.hidden = box.getAttribute('data-condition-for') !== select.value;
    });
  }
  select.addEventListener('change', update);
  update();
})();
