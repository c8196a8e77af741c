using BackpropService.Engine.Training;

namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>
/// A published default initialisation: how it draws a layer's weights (used where the layer names no init of its
/// own) and its biases (every layer). Layers are drawn in the engine's order: layer 0's weights, its bias, layer 1's
/// weights, ... (the parameters' node order).
/// </summary>
internal sealed record InitCandidate(
    string Name,
    string Citation,
    Func<LayerShape, Rng, double[]> Weights,
    Func<LayerShape, Rng, double[]> Bias);
