using Microsoft.Data.Sqlite;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>A SQLite file the service processes share across restarts, read directly to check what was persisted.</summary>
public sealed class TempDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"backprop-fault-{Guid.NewGuid():N}.db");

    public string InstanceName { get; } = "fault-" + Guid.NewGuid().ToString("N")[..8];

    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }

    public string JobStatus(string jobId) => (string)Scalar("SELECT Status FROM Jobs WHERE Id = $id", ("$id", jobId))!;

    public long JobAttempts(string jobId) => (long)Scalar("SELECT Attempts FROM Jobs WHERE Id = $id", ("$id", jobId))!;

    public long? CheckpointEpoch(string jobId) => Scalar("SELECT Epoch FROM Checkpoints WHERE JobId = $id", ("$id", jobId)) as long?;

    public long EpochsCompleted(string jobId) => (long)Scalar("SELECT EpochsCompleted FROM Jobs WHERE Id = $id", ("$id", jobId))!;

    public long StreamedThrough(string jobId) => (long)Scalar("SELECT StreamedThrough FROM Jobs WHERE Id = $id", ("$id", jobId))!;

    /// <summary>Where a dead owner's stream stopped: the stored epochs after it count as never sent.</summary>
    public void SetStreamedThrough(string jobId, long epoch) =>
        Scalar("UPDATE Jobs SET StreamedThrough = $e WHERE Id = $id", ("$e", epoch), ("$id", jobId));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }
}
