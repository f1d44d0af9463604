// A lineage answer (GET /epcis/lineage) drawn as a layered graph in SVG: one column per step
// from the start, time flowing left to right (upstream, the sources stand left of the start).
import { productPath, shortName } from './gs1.js';

const NODE_W = 156;
const NODE_H = 30;
const COLUMN_GAP = 44;
const ROW_H = 42;
const PAD = 12;
const SVG_NS = 'http://www.w3.org/2000/svg';

// Where each node and edge goes: pure, so that it is tested without a browser.
export function layout(graph) {
  const upstream = graph.direction === 'upstream';
  const deepest = Math.max(0, ...graph.nodes.map(n => n.depth));
  const rows = new Map();
  const placed = new Map();
  for (const node of graph.nodes) {
    const column = upstream ? deepest - node.depth : node.depth;
    const row = rows.get(column) || 0;
    rows.set(column, row + 1);
    placed.set(node.id, Object.assign({}, node, { column, row,
      x: PAD + column * (NODE_W + COLUMN_GAP), y: PAD + row * ROW_H,
      label: shortName(node.id), root: node.id === graph.root }));
  }
  const edges = [];
  for (const edge of graph.edges) {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    if (!from || !to) continue;
    edges.push(Object.assign({}, edge, { x1: from.x + NODE_W, y1: from.y + NODE_H / 2,
      x2: to.x, y2: to.y + NODE_H / 2 }));
  }
  const columns = rows.size ? Math.max(...rows.keys()) + 1 : 1;
  const height = Math.max(1, ...rows.values()) * ROW_H + 2 * PAD;
  return { width: columns * (NODE_W + COLUMN_GAP) - COLUMN_GAP + 2 * PAD, height,
    nodes: [...placed.values()], edges };
}

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return el;
}

// The SVG of a lineage answer; describe(edge) is the tooltip of an edge, label(node) of a node.
export function drawLineage(graph, describe, label) {
  const at = layout(graph);
  const svg = s('svg', { class: 'lineage', width: at.width, height: at.height,
    viewBox: `0 0 ${at.width} ${at.height}`, role: 'img' });
  svg.append(s('defs', null, s('marker', { id: 'arrow-' + graph.direction, viewBox: '0 0 8 8',
    refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' },
  s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }))));
  for (const e of at.edges) {
    const bend = Math.max(30, Math.abs(e.x2 - e.x1) / 2);
    svg.append(s('path', { class: 'edge ' + e.relation, 'data-from': e.from, 'data-to': e.to,
      d: `M${e.x1},${e.y1} C${e.x1 + bend},${e.y1} ${e.x2 - bend},${e.y2} ${e.x2},${e.y2}`,
      'marker-end': `url(#arrow-${graph.direction})` }, s('title', null, describe(e))));
  }
  for (const n of at.nodes) {
    const path = productPath(n.id);
    const box = s('g', { class: 'node ' + n.kind + (n.root ? ' root' : '')
      + (n.packedWith ? ' packed-with' : ''), 'data-id': n.id,
    transform: `translate(${n.x},${n.y})` },
    s('title', null, label(n)),
    s('rect', { width: NODE_W, height: NODE_H, rx: n.kind === 'class' ? 14 : 4 }),
    s('text', { x: NODE_W / 2, y: NODE_H / 2 + 4, 'text-anchor': 'middle' },
      // The end of a long key (an SSCC's serial reference) tells boxes apart: keep it.
      n.label.length > 19 ? '…' + n.label.slice(-18) : n.label));
    svg.append(path && !n.root ? s('a', { href: '#/product/' + path }, box) : box);
  }
  return svg;
}
