using System.Net.Http.Headers;
using BackpropService.Client.Models;

namespace BackpropService.Client;

public sealed partial class BackpropClient
{
    /// <summary>
    /// Copies the job's trained network as an ONNX model into <paramref name="destination"/>. A 409 while the job has
    /// no weights, a 422 naming an op that has no ONNX equivalent, a 404 when unknown.
    /// </summary>
    public async Task<ModelFile> DownloadModelAsync(string id, Stream destination, CancellationToken ct = default)
    {
        using var response = await SendCheckedAsync(HttpMethod.Get, ModelPath(id), null, ct, AcceptModel).ConfigureAwait(false);
        return new ModelFile(FileName(response), await CopyAsync(response, destination, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Writes the job's ONNX model to the file at <paramref name="path"/>. The file is created only once the service
    /// has answered with a model, and removed again if the download breaks off, so an error leaves no partial file.
    /// </summary>
    public async Task<ModelFile> DownloadModelAsync(string id, string path, CancellationToken ct = default)
    {
        using var response = await SendCheckedAsync(HttpMethod.Get, ModelPath(id), null, ct, AcceptModel).ConfigureAwait(false);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        try
        {
            await using (file) return new ModelFile(FileName(response), await CopyAsync(response, file, ct).ConfigureAwait(false));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Copies the body and counts its bytes (a destination that cannot seek has no length to ask). A read that the
    /// caller's cancellation broke off is reported as that cancellation (see <see cref="Cancelled"/>), not as an I/O error.
    /// </summary>
    private static async Task<long> CopyAsync(HttpResponseMessage response, Stream destination, CancellationToken ct)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[81920];
            long length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                length += read;
            }
            return length;
        }
        catch (Exception error) when (error is not OperationCanceledException && ct.IsCancellationRequested)
        {
            throw Cancelled(error, ct);
        }
    }

    private static string ModelPath(string id) => $"/api/jobs/{Escape(id)}/model.onnx";

    /// <summary>The model's bytes, or a problem document when there is none (the service writes problems only to a client that accepts them).</summary>
    private static void AcceptModel(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
    }

    private static string? FileName(HttpResponseMessage response)
    {
        var disposition = response.Content.Headers.ContentDisposition;
        return (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"');
    }
}
