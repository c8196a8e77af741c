using BackpropService.Api.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Limits;

/// <summary>
/// Rejects bodies over <see cref="LimitsOptions.MaxRequestBodyBytes"/> with a 413 problem before any endpoint reads
/// them. Kestrel enforces the same limit on the socket; this also covers hosts without one (TestServer) and turns
/// a chunked body that grows too large into a clean 413 instead of an I/O error inside JSON binding.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var max = limits.Value.MaxRequestBodyBytes;
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = max;

        var request = context.Request;
        if (request.ContentLength is { } length)
        {
            if (length > max)
            {
                await RejectAsync(context, max);
                return;
            }
        }
        else if (HasChunkedBody(request))
        {
            // NOTE: an unknown length is read into memory here, at most max + 1 bytes, so the limit holds.
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
                {
                    if (buffer.Length + read > max)
                    {
                        await RejectAsync(context, max);
                        return;
                    }
                    buffer.Write(chunk, 0, read);
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await RejectAsync(context, max);
                return;
            }
            buffer.Position = 0;
            request.Body = buffer;
            request.ContentLength = buffer.Length;
        }
        await next(context);
    }

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0 ||
        (request.ContentLength is null && request.Body.CanRead && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsDelete(request.Method) && !HttpMethods.IsOptions(request.Method));

    private static Task RejectAsync(HttpContext context, long max) =>
        context.WriteProblemAsync(StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
            $"The request body exceeds the limit Limits:MaxRequestBodyBytes = {max} bytes.");
}
