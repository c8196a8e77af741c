// The path-sum explanation for one clicked node: each path's edge derivatives and product, their sum, and the
// engine's gradient beside it.
import { fmt, escapeHtml } from './format.js';
import { scalar } from './tensor.js';

const sub = id => `<code>${escapeHtml(id)}</code>`;

export function renderPathSum(el, { node, root, result, what = 'C', tensorHint = 'Switch on <b>scalar view</b> to see the chain rule edge by edge.' }) {
  el.hidden = false;
  const gradient = scalar(node.gradient);
  el.dataset.node = node.id;
  el.dataset.pathCount = result.count;
  el.dataset.pathSum = result.scalar ? result.sum : '';
  el.dataset.gradient = gradient ?? '';
  if (!result.count) {
    el.dataset.match = 'false';
    el.innerHTML = `<h3>${sub(node.id)}</h3><p class="note">No path leads from this node to ${sub(root)}: ∂${what}/∂(${escapeHtml(node.id)}) = 0.</p>`;
    return;
  }
  if (!result.scalar || gradient === null) {
    el.dataset.match = '';
    el.innerHTML = `<h3>${sub(node.id)} → ${sub(root)}</h3>
      <p class="note">${result.count} path(s), but this view has tensor edges (no single number per edge).
      ${tensorHint}</p>`;
    return;
  }
  const difference = Math.abs(result.sum - gradient);
  const match = difference <= 1e-9 + 1e-6 * Math.max(Math.abs(gradient), Math.abs(result.sum));
  el.dataset.match = String(match);
  const rows = result.paths.map((p, i) => `
    <li class="path" data-product="${p.product}">
      <div class="path-nodes">${p.nodes.map(sub).join(' → ')}</div>
      <div class="path-math"><span class="factors">${p.factors.map(f => fmt(f)).join(' × ')}</span>
        = <b class="product">${fmt(p.product)}</b></div>
    </li>`).join('');
  const more = result.count > result.paths.length ? `<p class="note">…and ${result.count - result.paths.length} more paths (all counted in the sum).</p>` : '';
  el.innerHTML = `
    <h3>∂${what}/∂${sub(node.id)} as a sum over ${result.count} path${result.count === 1 ? '' : 's'} to ${sub(root)}</h3>
    <ol class="paths">${rows}</ol>${more}
    <div class="path-total ${match ? 'ok' : 'bad'}">
      <span>Σ path products = <b class="sum">${fmt(result.sum, 6)}</b></span>
      <span>engine's gradient = <b class="gradient">${fmt(gradient, 6)}</b></span>
      <span class="verdict">${match ? '✓ equal' : `✗ differ by ${fmt(difference)}`}</span>
    </div>`;
}
