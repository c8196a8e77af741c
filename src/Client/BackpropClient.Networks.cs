using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BackpropService.Client.Models;

namespace BackpropService.Client;

public sealed partial class BackpropClient
{
    public Task<Network> CreateNetworkAsync(NetworkDefinition network, CancellationToken ct = default) =>
        PostJsonAsync<Network, NetworkDefinition>("/api/networks", network, ct);

    /// <summary>Creates a network from its JSON text as it is (for example a file), leaving every check to the service.</summary>
    public Task<Network> CreateNetworkAsync(JsonElement network, CancellationToken ct = default) =>
        PostJsonAsync<Network, JsonElement>("/api/networks", network, ct);

    public Task<Network> GetNetworkAsync(string id, CancellationToken ct = default) =>
        GetAsync<Network>($"/api/networks/{Escape(id)}", ct);

    public Task<Page<Network>> ListNetworksAsync(int? limit = null, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<Page<Network>>("/api/networks" + Query(("limit", limit?.ToString()), ("cursor", cursor)), ct);

    public Task<Dataset> CreateDatasetAsync(DatasetDefinition dataset, CancellationToken ct = default) =>
        PostJsonAsync<Dataset, DatasetDefinition>("/api/datasets", dataset, ct);

    /// <summary>
    /// Uploads CSV text (a header row, then one row per example); <paramref name="targets"/> name the target columns.
    /// A non-numeric target column is taken as class labels and one-hot encoded by the service.
    /// </summary>
    public Task<Dataset> CreateDatasetFromCsvAsync(string csv, IEnumerable<string> targets, string? name = null, CancellationToken ct = default)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        var query = targets.Select(t => ("target", (string?)t)).Append(("name", name)).ToArray();
        return SendAsync<Dataset>(HttpMethod.Post, "/api/datasets" + Query(query), content, ct);
    }

    public Task<Dataset> GetDatasetAsync(string id, CancellationToken ct = default) =>
        GetAsync<Dataset>($"/api/datasets/{Escape(id)}", ct);

    public Task<Page<Dataset>> ListDatasetsAsync(int? limit = null, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<Page<Dataset>>("/api/datasets" + Query(("limit", limit?.ToString()), ("cursor", cursor)), ct);

    /// <summary>Evaluates a graph forward and backward at the given inputs (the chain rule on demand).</summary>
    public Task<GraphEvaluation> EvaluateGraphAsync(GraphEvaluationRequest request, CancellationToken ct = default) =>
        PostJsonAsync<GraphEvaluation, GraphEvaluationRequest>("/api/graphs/evaluate", request, ct);
}
