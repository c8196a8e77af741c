using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>Checks the layered form before it is compiled, so errors name the layer and field a client wrote.</summary>
internal static class LayeredNetworkValidator
{
    public static void Check(LayeredNetworkDefinition network)
    {
        if (network.Inputs < 1) throw new GraphValidationException("inputs", $"'inputs' must be at least 1; got {network.Inputs}.");
        if (network.Layers is null || network.Layers.Count == 0)
            throw new GraphValidationException("layers", "A network needs at least one layer.");
        if (!OpCatalog.Losses.Contains(network.Loss))
            throw new GraphValidationException("loss", $"Unknown loss '{network.Loss}'. Use one of: {string.Join(", ", OpCatalog.Losses)}.");

        var width = network.Inputs;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            CheckLayer(network.Layers[i], i, width, isLast: i == network.Layers.Count - 1);
            width = network.Layers[i].Units;
        }

        var last = network.Layers[^1].Activation;
        if (((LossOpDefinition)OpRegistry.Get(network.Loss)).LayeredOutput is { } required && last != required.Activation)
            throw new GraphValidationException("loss", $"'{network.Loss}' {required.Reason}; the last layer's activation is '{last}'.");
    }

    private static void CheckLayer(LayerDefinition layer, int i, int inputs, bool isLast)
    {
        var at = $"layers[{i}]";
        if (layer.Units < 1) throw new GraphValidationException($"{at}.units", $"Layer {i}: 'units' must be at least 1; got {layer.Units}.");
        if (!LayeredNetworkCompiler.Activations.Contains(layer.Activation))
            throw new GraphValidationException($"{at}.activation",
                $"Layer {i}: unknown activation '{layer.Activation}'. Use one of: {string.Join(", ", LayeredNetworkCompiler.Activations)}.");
        if (!isLast && layer.Activation != LayeredNetworkCompiler.Identity && OpRegistry.Get(layer.Activation).Activation!.LastLayerOnly)
            throw new GraphValidationException($"{at}.activation", $"Layer {i}: {layer.Activation} is allowed on the last layer only.");
        if (layer.Init is not null && !Training.ParameterInitializer.Names.Contains(layer.Init))
            throw new GraphValidationException($"{at}.init",
                $"Layer {i}: unknown init '{layer.Init}'. Use one of: {string.Join(", ", Training.ParameterInitializer.Names)}.");

        if (layer.Weights is { } weights)
        {
            if (weights.Length != inputs || weights.Any(row => row is null || row.Length != layer.Units))
                throw new GraphValidationException($"{at}.weights",
                    $"Layer {i}: 'weights' must be {inputs} rows (one per input unit) of {layer.Units} numbers (one per unit).");
            if (weights.Any(row => row.Any(v => !double.IsFinite(v))))
                throw new GraphValidationException($"{at}.weights", $"Layer {i}: 'weights' contains NaN or Infinity.");
        }
        if (layer.Bias is { } bias)
        {
            if (bias.Length != layer.Units)
                throw new GraphValidationException($"{at}.bias", $"Layer {i}: 'bias' must have {layer.Units} numbers; got {bias.Length}.");
            if (bias.Any(v => !double.IsFinite(v)))
                throw new GraphValidationException($"{at}.bias", $"Layer {i}: 'bias' contains NaN or Infinity.");
        }
    }
}
