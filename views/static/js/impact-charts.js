// Shared by the browser (chart.js from /static/vendor) and the server (chart.js on
// @napi-rs/canvas for PDF and PNG): number formats on the axis and the 95%
// confidence intervals drawn as whiskers, both read from the chart spec's
// `plugins.impact` options, so a chart looks the same everywhere.
function formatter(format, locale) {
  var intl = locale === 'en' ? 'en-GB' : 'nl-NL';
  var plain = new Intl.NumberFormat(intl, { maximumFractionDigits: 1 });
  return function (value) {
    if (value === null || value === undefined || Number.isNaN(value)) return '';
    var abs = Math.abs(value);
    if (format === 'currency') {
      if (abs >= 1e6) return '€ ' + plain.format(value / 1e6) + ' mln';
      return '€ ' + new Intl.NumberFormat(intl, { maximumFractionDigits: 0 }).format(value);
    }
    if (format === 'proportion') return plain.format(value * 100) + '%';
    if (format === 'percentage') return plain.format(value) + '%';
    return plain.format(value);
  };
}

/** Add the axis number format to a spec (plain JSON from the server) before drawing. */
export function prepareSpec(spec) {
  var opts = (spec.options.plugins && spec.options.plugins.impact) || {};
  var fmt = formatter(opts.format, opts.locale);
  var axis = spec.options.indexAxis === 'y' ? 'x' : 'y';
  spec.options.scales = spec.options.scales || {};
  spec.options.scales[axis] = spec.options.scales[axis] || {};
  spec.options.scales[axis].ticks = Object.assign({}, spec.options.scales[axis].ticks, {
    callback: function (v) {
      return fmt(v);
    },
  });
  return spec;
}

export var impactPlugin = {
  id: 'impact',
  afterDatasetsDraw: function (chart) {
    var opts = (chart.options.plugins && chart.options.plugins.impact) || {};
    // Per dataset, per bar or point: [low, high] or null.
    var intervals = opts.intervals || [];
    var horizontal = chart.options.indexAxis === 'y';
    var valueScale = horizontal ? chart.scales.x : chart.scales.y;
    var ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = opts.whiskerColor || '#1b1f24';
    ctx.lineWidth = 1.5;
    chart.data.datasets.forEach(function (_dataset, d) {
      var meta = chart.getDatasetMeta(d);
      if (meta.hidden) return;
      var list = intervals[d] || [];
      meta.data.forEach(function (element, i) {
        var ci = list[i];
        if (!ci || ci[0] === null || ci[1] === null) return;
        var lo = valueScale.getPixelForValue(ci[0]);
        var hi = valueScale.getPixelForValue(ci[1]);
        var at = horizontal ? element.y : element.x;
        var cap = 4;
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(lo, at);
          ctx.lineTo(hi, at);
          ctx.moveTo(lo, at - cap);
          ctx.lineTo(lo, at + cap);
          ctx.moveTo(hi, at - cap);
          ctx.lineTo(hi, at + cap);
        } else {
          ctx.moveTo(at, lo);
          ctx.lineTo(at, hi);
          ctx.moveTo(at - cap, lo);
          ctx.lineTo(at + cap, lo);
          ctx.moveTo(at - cap, hi);
          ctx.lineTo(at + cap, hi);
        }
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};
