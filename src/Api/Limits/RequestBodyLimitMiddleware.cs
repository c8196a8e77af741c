using BackpropService.Api.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Limits;

/// <summary>
/// Bounds every request body in size, in time and in number. Over Limits:MaxRequestBodyBytes: a 413 problem before
/// any endpoint reads it (Kestrel enforces the same limit on the socket; this also covers hosts without one, and turns
/// a chunked body that grows too large into a clean 413 instead of an I/O error inside JSON binding). Not received
/// within Limits:RequestBodyTimeout: the connection is dropped. More than Limits:MaxConcurrentBodies at once: the request waits up to
/// ConcurrentBodies.SlotWait for a slot, then 503 with Retry-After before a byte is read.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> limits, ConcurrentBodies bodies,
    ILogger<RequestBodyLimitMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var max = limits.Value.MaxRequestBodyBytes;
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = max;

        var request = context.Request;
        if (request.ContentLength > max)
        {
            await RejectAsync(context, max);
            return;
        }
        var chunked = request.ContentLength is null && HasChunkedBody(request);
        if (request.ContentLength is null or 0 && !chunked)
        {
            await next(context);
            return;
        }
        bool entered;
        try
        {
            entered = await bodies.TryEnterAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away while waiting for a slot: nothing to answer
        }
        if (!entered)
        {
            context.Response.Headers.RetryAfter = "1";
            await context.WriteProblemAsync(StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                $"{bodies.Max} request bodies are being received already (Limits:MaxConcurrentBodies); retry after 1 s.");
            return;
        }
        using var deadline = new BodyDeadline(context, limits.Value.RequestBodyTimeout);
        try
        {
            if (chunked)
            {
                if (!await BufferAsync(context, max)) return;
                deadline.Complete();
            }
            else
            {
                request.Body = deadline.Watch(request.Body, request.ContentLength!.Value);
            }
            await next(context);
        }
        catch (Exception) when (deadline.Expired)
        {
            // The deadline aborted the connection; whatever was reading the body failed because of it.
            logger.LogInformation("The body of {Method} {Path} was not received within {Timeout} (Limits:RequestBodyTimeout); the connection was dropped.",
                request.Method, request.Path, limits.Value.RequestBodyTimeout);
        }
        finally
        {
            bodies.Exit();
        }
    }

    /// <summary>
    /// Receives a body of unknown length in full, at most max bytes, through ASP.NET Core's request buffering: the
    /// first 30 KB in memory, the rest in a temporary file deleted with the request. So a body that stalls holds a
    /// file, not the process's memory, and once its connection is dropped nothing of it stays resident (the
    /// managed heap gives pages back only at a full collection, which nothing prompts). False when rejected as too large.
    /// </summary>
    private static async Task<bool> BufferAsync(HttpContext context, long max)
    {
        var request = context.Request;
        request.EnableBuffering();
        var chunk = new byte[16 * 1024];
        long received = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                received += read;
                if (received > max)
                {
                    await RejectAsync(context, max);
                    return false;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RejectAsync(context, max);
            return false;
        }
        request.Body.Position = 0;
        request.ContentLength = received;
        return true;
    }

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0 ||
        (request.ContentLength is null && request.Body.CanRead && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsDelete(request.Method) && !HttpMethods.IsOptions(request.Method));

    private static Task RejectAsync(HttpContext context, long max) =>
        context.WriteProblemAsync(StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
            $"The request body exceeds the limit Limits:MaxRequestBodyBytes = {max} bytes.");
}
