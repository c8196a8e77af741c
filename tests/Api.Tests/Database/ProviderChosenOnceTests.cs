using System.Text.RegularExpressions;

namespace BackpropService.Api.Tests.Database;

/// <summary>
/// The database engine is chosen once, in the dialect (src/Persistence/Dialects): no other source file asks which
/// engine it runs on or reads an engine's own errors, pragmas or locks. Configuration (src/Api/Database) may name
/// the engines to pick one.
/// </summary>
public sealed partial class ProviderChosenOnceTests
{
    private const string Dialects = "src/Persistence/Dialects/";
    private const string Configuration = "src/Api/Database/";

    [GeneratedRegex(@"\.IsNpgsql\(|\.IsSqlite\(|\.ProviderName\b|\b(is|as)\s+(not\s+)?PostgresBackpropDbContext\b|\b(SqliteException|NpgsqlException|PostgresException|PostgresErrorCodes|SqlState|SqliteErrorCode|SqliteExtendedErrorCode|NpgsqlConnection|NpgsqlCommand)\b|pg_advisory|PRAGMA")]
    private static partial Regex EngineSniff();

    [GeneratedRegex(@"(==|!=|\bcase|\bis)\s*DatabaseProvider\.|DatabaseProvider\.\w+\s*(=>|when\b)")]
    private static partial Regex ProviderSwitch();

    [Fact]
    public void OnlyTheDialectsSniffTheEngine()
    {
        var sniffs = Matches(EngineSniff()).Where(m => !m.File.StartsWith(Dialects, StringComparison.Ordinal)).ToList();
        Assert.True(sniffs.Count == 0, "Engine-specific code outside " + Dialects + " (move it into IDatabaseDialect):\n" + string.Join("\n", sniffs));
        var switches = Matches(ProviderSwitch()).Where(m => !m.File.StartsWith(Dialects, StringComparison.Ordinal) && !m.File.StartsWith(Configuration, StringComparison.Ordinal)).ToList();
        Assert.True(switches.Count == 0, "A switch on Database:Provider outside the dialect's choice:\n" + string.Join("\n", switches));
    }

    [Fact]
    public void TheScanSeesTheDialectsOwnEngineCode()
    {
        // The patterns match real code: each dialect's own error handling and setup is found where it belongs.
        var inDialects = Matches(EngineSniff()).Where(m => m.File.StartsWith(Dialects, StringComparison.Ordinal)).Select(m => m.Text).ToHashSet();
        Assert.Contains("SqliteException", inDialects);
        Assert.Contains("PostgresErrorCodes", inDialects);
        Assert.Contains("PRAGMA", inDialects);
        Assert.Contains("pg_advisory", inDialects);
        Assert.Contains(Matches(ProviderSwitch()), m => m.File.StartsWith(Dialects, StringComparison.Ordinal));
    }

    private sealed record Match(string File, int Line, string Text)
    {
        public override string ToString() => $"{File}:{Line}: {Text}";
    }

    private static IEnumerable<Match> Matches(Regex pattern)
    {
        var root = SourceRoot();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var file = Path.GetRelativePath(root, path).Replace('\\', '/');
            // Generated migrations and build output are not written by hand.
            if (file.Contains("/Migrations/", StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
                continue;
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                // Doc comments may name the engines; code may not.
                if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
                foreach (System.Text.RegularExpressions.Match m in pattern.Matches(lines[i]))
                    yield return new Match(file, i + 1, m.Value);
            }
        }
    }

    /// <summary>The checkout these tests were built from: the nearest folder above the binaries with src/Persistence/Dialects.</summary>
    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, Dialects))) return dir.FullName;
        throw new InvalidOperationException(Dialects + " not found above " + AppContext.BaseDirectory);
    }
}
