using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Tests.Optimizers;

public class SgdTests
{
    [Fact]
    public void StepsAgainstTheGradientScaledByTheLearningRate()
    {
        // θ₁ = 1.5 − 0.1·0.4 = 1.46; θ₂ = 1.46 − 0.1·(−0.2) = 1.48.
        var sgd = new Sgd<double>(0.1);
        TensorAssert.Close([1.46, 1.48], OptimizerSteps.Run(sgd, OptimizerSteps.Parameter()), 1e-15);
        Assert.Equal(2, sgd.StepCount);
        Assert.Empty(sgd.State);
    }
}
