// The chain rule as path sums: dC/dθ = Σ over paths θ → … → C of the product of the edges' local derivatives.

const MAX_LISTED = 64;

export function outgoing(edges) {
  const out = new Map();
  for (const e of edges) {
    if (!out.has(e.from)) out.set(e.from, []);
    out.get(e.from).push(e);
  }
  return out;
}

/** The node the gradients are taken from: the loss (or output) if named, else the only sink. */
export function findRoot(graph) {
  const ids = new Set(graph.nodes.map(n => n.id));
  for (const name of [graph.loss, graph.output, graph.root]) if (name && ids.has(name)) return name;
  const hasOut = new Set(graph.edges.map(e => e.from));
  const sinks = graph.nodes.filter(n => !hasOut.has(n.id));
  const loss = sinks.find(n => /cross_entropy|mse|loss/.test(n.op) || n.id === 'loss');
  return (loss || sinks[0])?.id ?? null;
}

/**
 * Every path from `start` to `root`: the total of the path products (computed for all paths by dynamic programming),
 * the number of paths, and the first few paths spelled out.
 */
export function pathSum(edges, start, root) {
  const out = outgoing(edges);
  const memo = new Map(); // node -> { sum, count, scalar } over its paths to root
  const visit = id => {
    if (memo.has(id)) return memo.get(id);
    let result = id === root ? { sum: 1, count: 1, scalar: true } : { sum: 0, count: 0, scalar: true };
    if (id !== root) {
      for (const e of out.get(id) || []) {
        const rest = visit(e.to);
        if (!rest.count) continue;
        const d = e.localDerivative;
        const isNumber = typeof d === 'number' && Number.isFinite(d);
        result = { sum: result.sum + (isNumber ? d * rest.sum : NaN), count: result.count + rest.count,
                   scalar: result.scalar && rest.scalar && isNumber };
      }
    }
    memo.set(id, result);
    return result;
  };
  const total = visit(start);

  const listed = [];
  const walk = (id, nodes, factors) => {
    if (listed.length >= MAX_LISTED) return;
    if (id === root) {
      listed.push({ nodes: [...nodes], factors: [...factors], product: factors.reduce((a, b) => a * b, 1) });
      return;
    }
    for (const e of out.get(id) || []) {
      if (!visit(e.to).count) continue;
      nodes.push(e.to);
      factors.push(e.localDerivative);
      walk(e.to, nodes, factors);
      nodes.pop();
      factors.pop();
    }
  };
  walk(start, [start], []);
  return { sum: total.sum, count: total.count, scalar: total.scalar, paths: listed, edgesOnPaths: edgesOnPaths(out, visit, start) };
}

function edgesOnPaths(out, visit, start) {
  const used = new Set(), stack = [start], seen = new Set();
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of out.get(id) || []) {
      if (!visit(e.to).count) continue;
      used.add(`${e.from}\u0000${e.to}`);
      stack.push(e.to);
    }
  }
  return used;
}
