namespace BackpropService.Cli.Output;

/// <summary>The last few costs as block characters, lowest ▁ to highest █, scaled to their own range.</summary>
public sealed class Sparkline(int width = 30)
{
    private const string Blocks = "▁▂▃▄▅▆▇█";
    private readonly Queue<double> _values = new();

    public void Add(double value)
    {
        if (!double.IsFinite(value)) return;
        _values.Enqueue(value);
        while (_values.Count > width) _values.Dequeue();
    }

    public override string ToString()
    {
        if (_values.Count == 0) return "";
        var (low, high) = (_values.Min(), _values.Max());
        var span = high - low;
        return string.Concat(_values.Select(v => span <= 0 ? Blocks[0] : Blocks[(int)Math.Round((v - low) / span * (Blocks.Length - 1))]));
    }
}
