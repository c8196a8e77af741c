// Ready-made networks, datasets and settings. Generated data uses a seeded generator, so every visit trains
// on exactly the same points.

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand) {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const round = x => Math.round(x * 1e4) / 1e4;

function layered(name, inputs, hidden, activation, output) {
  return {
    name,
    inputs,
    layers: [...hidden.map(units => ({ units, activation })), output],
    loss: output.activation === 'softmax' ? 'cross_entropy' : 'binary_cross_entropy',
  };
}

/** Eight hidden layers of 8 units with one activation and init, then a sigmoid output: the gradient-flow pair. */
function deep(name, activation, init) {
  return {
    name,
    inputs: 2,
    layers: [...Array.from({ length: 8 }, () => ({ units: 8, activation, init })), { units: 1, activation: 'sigmoid' }],
    loss: 'binary_cross_entropy',
  };
}

function twoCircles(count = 200, noise = 0.08) {
  const rand = random(7), features = [], targets = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2, radius = label ? 1.0 : 0.45, angle = 2 * Math.PI * rand();
    features.push([round(radius * Math.cos(angle) + noise * gaussian(rand)),
                   round(radius * Math.sin(angle) + noise * gaussian(rand))]);
    targets.push([label]);
  }
  return { name: 'two-circles', features, targets };
}

function twoSpirals(perArm = 120, noise = 0.02) {
  const rand = random(11), features = [], targets = [];
  for (let i = 0; i < perArm; i++) {
    const t = i / perArm, radius = 0.1 + 0.9 * t, angle = 1.75 * 2 * Math.PI * t;
    for (const label of [0, 1]) {
      const a = angle + label * Math.PI;
      features.push([round(radius * Math.sin(a) + noise * gaussian(rand)),
                     round(radius * Math.cos(a) + noise * gaussian(rand))]);
      targets.push([label]);
    }
  }
  return { name: 'two-spirals', features, targets };
}

const json = value => JSON.stringify(value, null, 1).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, inner) => `[${inner.replace(/\s+/g, ' ')}]`);

// Epochs are sized so that each preset trains for a few seconds and its curve is seen forming (issue 18 item 7): on
// a quiet 2-core machine the service trains these at roughly XOR ~2 M, circles ~25 k, iris ~15 k, spirals ~7 k and the
// deep nets ~5 k epochs/s (docs/performance.md for XOR; the others about 5x what a loaded Debug build measured,
// 2026-12-07). Past convergence the log-scale cost keeps falling, so the curve still moves to the end. XOR stops at
// 1 M epochs (~0.5 s Release, a few s in Debug): the page keeps every epoch of a watched job in memory.
export const presets = {
  xor: {
    label: 'XOR · 2-2-1 sigmoid',
    network: () => layered('xor', 2, [2], 'sigmoid', { units: 1, activation: 'sigmoid' }),
    dataset: async () => ({ format: 'json', text: json({ name: 'xor', features: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] }) }),
    settings: { epochs: 1_000_000, learningRate: 2, optimizer: 'sgd', batchSize: '', seed: 42, validationSplit: 0 },
  },
  circles: {
    label: 'Two circles · 2-8-1 tanh',
    network: () => layered('two-circles', 2, [8], 'tanh', { units: 1, activation: 'sigmoid' }),
    dataset: async () => ({ format: 'json', text: json(twoCircles()) }),
    settings: { epochs: 60_000, learningRate: 0.03, optimizer: 'adam', batchSize: 32, seed: 42, validationSplit: 0.2 },
  },
  spirals: {
    label: 'Two spirals · 2-16-16-1 tanh',
    network: () => layered('two-spirals', 2, [16, 16], 'tanh', { units: 1, activation: 'sigmoid' }),
    dataset: async () => ({ format: 'json', text: json(twoSpirals()) }),
    settings: { epochs: 20_000, learningRate: 0.01, optimizer: 'adam', batchSize: 32, seed: 42, validationSplit: 0 },
  },
  iris: {
    label: 'Iris (CSV) · 4-8-3 softmax',
    network: () => layered('iris', 4, [8], 'tanh', { units: 3, activation: 'softmax' }),
    dataset: async () => {
      const response = await fetch('data/iris.csv');
      if (!response.ok) throw new Error(`data/iris.csv: HTTP ${response.status}`);
      return { format: 'csv', text: await response.text(), target: 'species', name: 'iris' };
    },
    settings: { epochs: 40_000, learningRate: 0.02, optimizer: 'adam', batchSize: 16, seed: 42, validationSplit: 0.2 },
  },
  // The same deep net twice, for the gradient-flow chart: with sigmoids (derivative ≤ 1/4) each layer back shrinks
  // the gradient, so the first layers' lines lie decades below the last's and barely learn; relu with he init keeps
  // them within a decade or so of each other.
  deepSigmoid: {
    label: 'Vanishing gradients · 8 sigmoid layers',
    network: () => deep('deep-sigmoid', 'sigmoid', 'xavier'),
    dataset: async () => ({ format: 'json', text: json(twoCircles()) }),
    settings: { epochs: 15_000, learningRate: 0.1, optimizer: 'sgd', batchSize: 32, seed: 42, validationSplit: 0, recordGradientNorms: true },
  },
  deepRelu: {
    label: 'Flowing gradients · 8 relu layers, he init',
    network: () => deep('deep-relu', 'relu', 'he'),
    dataset: async () => ({ format: 'json', text: json(twoCircles()) }),
    settings: { epochs: 15_000, learningRate: 0.01, optimizer: 'sgd', batchSize: 32, seed: 42, validationSplit: 0, recordGradientNorms: true },
  },
};

export const formatJson = json;
