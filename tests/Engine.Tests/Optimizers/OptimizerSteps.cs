using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Tests.Optimizers;

/// <summary>Runs an optimizer on a single parameter θ₀ = 1.5 with the gradients 0.4 then −0.2, returning θ after each step.</summary>
internal static class OptimizerSteps
{
    public const double Start = 1.5;
    public static readonly double[] Gradients = [0.4, -0.2];

    public static double[] Run(IOptimizer<double> optimizer, Tensor<double> parameter)
    {
        var thetas = new List<double>();
        foreach (var g in Gradients)
        {
            optimizer.Step([parameter], [new Tensor<double>(Shape.Scalar, [g])]);
            thetas.Add(parameter.Data[0]);
        }
        return thetas.ToArray();
    }

    public static Tensor<double> Parameter() => new(Shape.Scalar, [Start]);
}
