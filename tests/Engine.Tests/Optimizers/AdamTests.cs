using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Tests.Optimizers;

public class AdamTests
{
    [Fact]
    public void StepsMatchPyTorchsBiasCorrectedForm()
    {
        // Step 1: m̂ = g, v̂ = g², so θ₁ = 1.5 − 0.1·0.4/(0.4 + 10⁻⁸) = 1.4000000025.
        // Step 2: m = 0.9·0.04 + 0.1·(−0.2) = 0.016, v = 0.999·0.00016 + 0.001·0.04 = 0.00019984;
        // θ₂ = θ₁ − 0.1·(0.016/0.19)/(√(0.00019984/0.001999) + 10⁻⁸) = 1.3733662993763178 (computed in float64).
        var parameter = OptimizerSteps.Parameter();
        var adam = new Adam<double>([parameter], 0.1, 0.9, 0.999, 1e-8);
        TensorAssert.Close([1.4000000025, 1.3733662993763178], OptimizerSteps.Run(adam, parameter), 1e-15);
        TensorAssert.Close([0.016], adam.State[0], 1e-15);
        TensorAssert.Close([0.00019984], adam.State[1], 1e-15);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void FirstStepMovesEveryParameterByAboutTheLearningRateWhateverItsGradientsScale()
    {
        var parameter = new Tensor<double>(Shape.Vector(3), [0, 0, 0]);
        new Adam<double>([parameter], 0.01, 0.9, 0.999, 1e-8).Step([parameter], [new Tensor<double>(Shape.Vector(3), [1e-3, -5, 200])]);
        TensorAssert.Close([-0.01, 0.01, -0.01], parameter.Data, 1e-5);
    }
}
