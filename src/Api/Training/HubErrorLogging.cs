using Microsoft.AspNetCore.SignalR;

namespace BackpropService.Api.Training;

/// <summary>
/// Logs hub invocation failures at the level they deserve. A <see cref="HubException"/> is the hub's answer to a
/// client mistake (<c>Subscribe</c> to an unknown job): Information, without a stack trace. Anything else is a
/// server fault: Error, with the exception. SignalR's dispatcher would log both at Error with a stack trace, so
/// its own entries at that level are filtered out (<see cref="AddHubErrorLogging"/>) and this filter writes them.
/// </summary>
public sealed class HubErrorLogging(ILogger<HubErrorLogging> logger) : IHubFilter
{
    private const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            logger.LogInformation("Hub {Method} refused for connection {ConnectionId}: {Reason}",
                invocationContext.HubMethodName, invocationContext.Context.ConnectionId, refused.Message);
            throw;
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception fault)
        {
            logger.LogError(fault, "Hub {Method} failed for connection {ConnectionId}", invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            throw;
        }
    }

    /// <summary>The filter, and the dispatcher's Error entries (its per-invocation failure log) silenced.</summary>
    public static IServiceCollection AddHubErrorLogging(IServiceCollection services)
    {
        services.AddSingleton<HubErrorLogging>();
        services.Configure<HubOptions>(options => options.AddFilter<HubErrorLogging>());
        // NOTE: a category rule replaces the configured minimum for that category; below Warning the dispatcher
        // only traces, which Microsoft.AspNetCore's default Warning level hides as well.
        services.Configure<LoggerFilterOptions>(options =>
            options.AddFilter(DispatcherCategory, level => level == LogLevel.Warning));
        return services;
    }
}
