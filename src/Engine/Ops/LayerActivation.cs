namespace BackpropService.Engine.Ops;

/// <summary>An op's role as a layer activation in the layered form.</summary>
/// <param name="Position">Place in the list of activations a client may name (the contract's order).</param>
/// <param name="DefaultInit">The weights' initialiser when the layer names none.</param>
/// <param name="LastLayerOnly">Whether only the output layer may use it.</param>
internal sealed record LayerActivation(int Position, string DefaultInit, bool LastLayerOnly = false);
