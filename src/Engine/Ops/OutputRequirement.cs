namespace BackpropService.Engine.Ops;

/// <summary>A loss's demand on the layered form's output layer; <paramref name="Reason"/> completes "'loss' …".</summary>
internal sealed record OutputRequirement(string Activation, string Reason);
