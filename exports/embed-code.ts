// The code a web editor pastes to show a published chart on another site (README
// "Public results"): an iframe that grows to its chart's height, as Datawrapper's
// embeds do. The embedded page posts its height (views/static/js/embed-height.js);
// the snippet's small script listens and sets the iframe's height. Without
// JavaScript the iframe keeps a fixed height that fits the chart's size class,
// and its width follows the host page's column.
import type { ChartSpec } from './chart-spec';

/** The fallback height in px of an embed without JavaScript: chart box, title, wave line and source. */
export const EMBED_HEIGHT: Record<ChartSpec['size'], number> = { normal: 620, tall: 820, xtall: 1110 };

/** The message the embedded page posts to its host: `{ [EMBED_MESSAGE]: height in px }`. */
export const EMBED_MESSAGE = 'impactmonitor-height';

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The copyable embed code of one chart: the iframe and the listener that resizes
 * it (one listener serves every Impactmonitor embed on the host page, and only
 * accepts messages from the iframe's own window and origin).
 */
export function embedCode(args: {
  publicUrl: string;
  slug: string;
  index: number;
  title: string;
  size: ChartSpec['size'];
}): string {
  const origin = new URL(args.publicUrl).origin;
  const src = `${args.publicUrl.replace(/\/$/, '')}/resultaten/${encodeURIComponent(args.slug)}/insluiten/${args.index}`;
  const iframe = `<iframe src="${attr(src)}" title="${attr(args.title)}" width="100%" height="${EMBED_HEIGHT[args.size]}" loading="lazy" style="border:0;width:100%;max-width:100%" data-impactmonitor-embed></iframe>`;
  const script =
    `<script>window.addEventListener("message",function(e){var h=e.data&&e.data["${EMBED_MESSAGE}"];` +
    `if(e.origin!=="${origin}"||typeof h!=="number")return;` +
    `document.querySelectorAll("iframe[data-impactmonitor-embed]").forEach(function(f){` +
    `if(f.contentWindow===e.source)f.style.height=Math.ceil(h)+"px"})});</script>`;
  return `${iframe}\n${script}`;
}
