namespace BackpropService.Engine.Graphs;

/// <summary>Which nodes a plan computes gradients for.</summary>
internal enum GradientMode
{
    /// <summary>Forward only (inference, validation cost).</summary>
    None,

    /// <summary>Only what training needs: parameters and the nodes between them and the root; losses may be fused.</summary>
    Parameters,

    /// <summary>Every node that feeds the root, leaves included, unfused: for showing the chain rule.</summary>
    All,

    /// <summary>Only the inputs and the nodes between them and the root, unfused: for explaining an output by its inputs.</summary>
    Inputs,
}
