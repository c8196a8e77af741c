using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Training;

public class GradientClippingTests
{
    [Fact]
    public void GradientsAreScaledByMaxOverTheGlobalNorm()
    {
        // Global norm √(3² + 4² + 12²) = 13; max 6.5 → every element × 6.5/(13 + 1e-6), as clip_grad_norm_.
        Tensor<float>[] gradients = [new(Shape.Vector(2), [3f, 4f]), new(Shape.Vector(1), [12f])];
        GradientClipping.Clip(gradients, 6.5);
        var scale = 6.5 / (13 + 1e-6);
        Assert.Equal([(float)(3 * scale), (float)(4 * scale)], gradients[0].Data);
        Assert.Equal([(float)(12 * scale)], gradients[1].Data);
    }

    [Fact]
    public void GradientsWithinTheNormAreLeftAsTheyAre()
    {
        Tensor<float>[] gradients = [new(Shape.Vector(2), [3f, 4f]), new(Shape.Vector(1), [12f])];
        GradientClipping.Clip(gradients, 13.5);
        Assert.Equal([3f, 4f], gradients[0].Data);
        Assert.Equal([12f], gradients[1].Data);
    }

    [Fact]
    public void ATrainingStepClipsTheGradientBeforeWeightDecayIsAdded()
    {
        // One full-batch SGD epoch: θ₁ = θ₀ − lr·g without clipping, so g = (θ₀ − θ₁)/lr and its global norm |g| are
        // known; with clipping to half of |g| and weight decay λ the step must be −lr·(c·g + λθ₀), c = max/(|g| + 1e-6).
        const double lr = 0.5, decay = 0.01;
        var plain = new TrainingSettings { Epochs = 1, LearningRate = lr, Seed = 3 };
        var start = Flat(TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), plain));
        var unclipped = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), plain);
        unclipped.Run(_ => { }, CancellationToken.None);
        var gradient = start.Zip(Flat(unclipped), (a, b) => (a - b) / lr).ToArray();
        var norm = Math.Sqrt(gradient.Sum(g => g * g));

        var clipped = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), plain with { ClipGradNorm = norm / 2, WeightDecay = decay });
        clipped.Run(_ => { }, CancellationToken.None);
        var c = norm / 2 / (norm + 1e-6);
        var actual = Flat(clipped);
        for (var i = 0; i < start.Length; i++)
            Assert.Equal(start[i] - lr * (c * gradient[i] + decay * start[i]), actual[i], 1e-6);
    }

    private static double[] Flat(TrainingSession session) => session.Parameters().SelectMany(p => p.Value.Values).ToArray();
}
