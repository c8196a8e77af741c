using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// The PostgreSQL server and Redis the scale-out tests need, on loopback (.ci/services.sh starts them; locally:
/// <c>apt-get install -y postgresql redis-server</c> and <c>bash .ci/services.sh</c>). Override the addresses with
/// BACKPROP_TEST_POSTGRES (an Npgsql connection string without Database) and BACKPROP_TEST_REDIS (host:port).
/// </summary>
internal static class ScaleOutServices
{
    public static string Postgres { get; } = Environment.GetEnvironmentVariable("BACKPROP_TEST_POSTGRES") is { Length: > 0 } pg
        ? pg : "Host=127.0.0.1;Port=5432;Username=backprop_test;Password=backprop_test";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("BACKPROP_TEST_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:6379";

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when both answer; otherwise what is missing and how to get it.</summary>
    public static string? Missing { get; } = Probe();

    public static string DatabaseConnection(string database) => new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString;

    public static async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnection("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnection("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static string? Probe()
    {
        var problems = new List<string>();
        try
        {
            using var connection = new NpgsqlConnection(DatabaseConnection("postgres"));
            connection.Open();
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            problems.Add($"PostgreSQL is not reachable as '{new NpgsqlConnectionStringBuilder(Postgres) { Password = null }}' ({ex.Message})");
        }
        if (!RedisAnswers()) problems.Add($"Redis does not answer PING at {Redis}");
        return problems.Count == 0 ? null
            : string.Join("; ", problems) + ". Install and start them with: apt-get install -y postgresql redis-server && bash .ci/services.sh";
    }

    private static bool RedisAnswers()
    {
        try
        {
            var (host, port) = (Redis[..Redis.LastIndexOf(':')], int.Parse(Redis[(Redis.LastIndexOf(':') + 1)..]));
            using var client = new TcpClient();
            if (!client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(3))) return false;
            using var stream = client.GetStream();
            stream.ReadTimeout = 3000;
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or AggregateException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
