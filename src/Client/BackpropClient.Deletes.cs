namespace BackpropService.Client;

public sealed partial class BackpropClient
{
    /// <summary>Deletes a network and the finished jobs trained on it; a 409 while a queued or running job uses it, a 404 when unknown.</summary>
    public Task DeleteNetworkAsync(string id, CancellationToken ct = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"/api/networks/{Escape(id)}", ct);

    /// <summary>Deletes a dataset and the finished jobs trained on it; a 409 while a queued or running job uses it, a 404 when unknown.</summary>
    public Task DeleteDatasetAsync(string id, CancellationToken ct = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"/api/datasets/{Escape(id)}", ct);

    /// <summary>Deletes a job with its history, checkpoint and weights; a 409 while it is queued or running (cancel it first), a 404 when unknown.</summary>
    public Task DeleteJobAsync(string id, CancellationToken ct = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"/api/jobs/{Escape(id)}", ct);
}
