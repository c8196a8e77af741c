using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Tests.Optimizers;

public class MomentumTests
{
    [Fact]
    public void VelocityAccumulatesPastGradients()
    {
        // v₁ = 0.4, θ₁ = 1.5 − 0.1·0.4 = 1.46; v₂ = 0.9·0.4 − 0.2 = 0.16, θ₂ = 1.46 − 0.016 = 1.444.
        var parameter = OptimizerSteps.Parameter();
        var momentum = new Momentum<double>([parameter], 0.1, 0.9);
        TensorAssert.Close([1.46, 1.444], OptimizerSteps.Run(momentum, parameter), 1e-15);
        TensorAssert.Close([0.16], momentum.State[0], 1e-15);
        Assert.Equal(2, momentum.StepCount);
    }
}
