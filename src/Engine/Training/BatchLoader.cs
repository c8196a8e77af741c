using System.Numerics;

namespace BackpropService.Engine.Training;

/// <summary>Copies chosen dataset rows into a plan's input and target buffers (converting float32 to the plan's type).</summary>
internal static class BatchLoader
{
    public static void Load<T>(TrainingData data, ReadOnlySpan<int> rows, Tensor<T> features, Tensor<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < rows.Length; r++)
        {
            Copy(data.Features.AsSpan(rows[r] * data.FeatureCount, data.FeatureCount), features.Row(r));
            Copy(data.Targets.AsSpan(rows[r] * data.TargetCount, data.TargetCount), targets.Row(r));
        }
    }

    private static void Copy<T>(ReadOnlySpan<float> source, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            source.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination));
            return;
        }
        for (var i = 0; i < source.Length; i++) destination[i] = T.CreateChecked(source[i]);
    }
}
