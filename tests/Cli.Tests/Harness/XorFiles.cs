namespace BackpropService.Cli.Tests.Harness;

/// <summary>The README's XOR story as files: the seed's 2-2-1 sigmoid network and the four rows.</summary>
public static class XorFiles
{
    public const string Network = """
        { "name": "xor",
          "inputs": 2,
          "layers": [ { "units": 2, "activation": "sigmoid" },
                      { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    public const string Csv = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";

    /// <summary>net.json and data.csv in the harness's folder; the arguments of <c>backprop train</c> on them.</summary>
    public static string[] TrainArgs(CliHarness cli, int epochs, params string[] more) =>
    [
        "train", "--network", cli.File("net.json", Network), "--data", cli.File("data.csv", Csv), "--target", "y",
        "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lr", "0.5", "--seed", "1", .. more,
    ];

    /// <summary>The arguments of <c>backprop sweep</c> on net.json and data.csv with a 2 × 2 grid of learning rate and seed.</summary>
    public static string[] SweepArgs(CliHarness cli, int epochs, params string[] more) =>
    [
        "sweep", "--network", cli.File("net.json", Network), "--data", cli.File("data.csv", Csv), "--target", "y",
        "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--vary", "learningRate=0.5,2", "--vary", "seed=1,2", .. more,
    ];
}
