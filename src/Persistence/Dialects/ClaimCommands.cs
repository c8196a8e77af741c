using System.Data.Common;
using BackpropService.Persistence.Entities;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// The claim's two statements (<see cref="JobClaimStatements"/>) on one connection: the seek that reads up to n
/// candidates, then the update of each job taken. Made once for a connection kept open, they are prepared on their
/// first run and reused after (<see cref="SqliteClaimConnection"/>); one claim at a time.
/// </summary>
internal sealed class ClaimCommands : IDisposable
{
    private readonly DbCommand _seek, _take;
    private readonly DbParameter _seekNow, _count, _token, _id, _owner, _expires, _takeNow;

    public ClaimCommands(DbConnection connection, string seek)
    {
        _seek = JobClaimStatements.Command(connection, transaction: null, seek);
        JobClaimStatements.AddSeekParameters(_seek, DateTime.UnixEpoch, count: 1);
        (_seekNow, _count) = (_seek.Parameters["@now"], _seek.Parameters["@count"]);
        _take = JobClaimStatements.Command(connection, transaction: null, JobClaimStatements.Take);
        _token = JobClaimStatements.Add(_take, "@token", "");
        _id = JobClaimStatements.Add(_take, "@id", "");
        JobClaimStatements.Add(_take, "@running", JobStatus.Running.ToString());
        _owner = JobClaimStatements.Add(_take, "@owner", "");
        _expires = JobClaimStatements.Add(_take, "@expires", DateTime.UnixEpoch);
        _takeNow = JobClaimStatements.Add(_take, "@now", DateTime.UnixEpoch);
    }

    /// <summary>Reads the candidates of up to <paramref name="count"/> jobs and takes them (<see cref="ClaimCandidate.Pick"/>), in <paramref name="transaction"/>.</summary>
    public async Task<IReadOnlyList<JobClaim>> ClaimAsync(DbTransaction transaction, ClaimRequest claim, int count, CancellationToken ct)
    {
        var now = claim.Time.GetUtcNow().UtcDateTime;
        var candidates = new List<ClaimCandidate>();
        (_seek.Transaction, _seekNow.Value, _count.Value) = (transaction, now, count);
        await using (var reader = await _seek.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                candidates.Add(new ClaimCandidate(reader.GetString(0), reader.GetInt32(1), reader.GetBoolean(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : Convert.ToInt32(reader.GetValue(4))));
        }
        var picked = ClaimCandidate.Pick(candidates, count);
        if (picked.Count == 0) return [];

        var claims = new List<JobClaim>(picked.Count);
        (_take.Transaction, _owner.Value, _expires.Value, _takeNow.Value) = (transaction, claim.Owner, now + claim.Lease, now);
        foreach (var candidate in picked)
        {
            (_token.Value, _id.Value) = (Guid.NewGuid().ToString("N"), candidate.Id);
            if (await _take.ExecuteNonQueryAsync(ct) != 1) throw new InvalidOperationException($"Job '{candidate.Id}' was not found to claim.");
            claims.Add(new JobClaim(candidate.Id, (string)_token.Value, candidate.Attempts + 1, candidate.FirstStart));
        }
        return claims;
    }

    public void Dispose()
    {
        _seek.Dispose();
        _take.Dispose();
    }
}
