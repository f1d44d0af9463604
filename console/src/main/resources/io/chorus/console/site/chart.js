// A bar chart in SVG (no library): one bar per value, a title per bar for its exact figure.
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function bars(values, titles, { height = 80, label = '' } = {}) {
  const width = Math.max(values.length, 1) * 6;
  const max = Math.max(1e-9, ...values);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none',
    class: 'chart', role: 'img', 'aria-label': label });
  values.forEach((v, i) => {
    const barHeight = v <= 0 ? 0 : Math.max(1, (v / max) * (height - 2));
    const bar = el('rect', { x: i * 6 + 1, y: height - barHeight, width: 4, height: barHeight });
    const title = el('title', {});
    title.textContent = titles[i];
    bar.append(title);
    svg.append(bar);
  });
  return svg;
}
