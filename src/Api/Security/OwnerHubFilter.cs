using BackpropService.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Security;

/// <summary>
/// Hub invocations run in their own scope without an HTTP request; this gives the invocation's context the owner
/// of the connection's API key, so <c>Subscribe</c> to another owner's job is "does not exist", like a 404.
/// </summary>
public sealed class OwnerHubFilter(IOptionsMonitor<ApiKeyOptions> options) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (options.CurrentValue.Enabled)
        {
            var db = invocationContext.ServiceProvider.GetRequiredService<BackpropDbContext>();
            db.OwnerFilter = CurrentOwner.Of(invocationContext.Context.User) ?? CurrentOwner.Nobody;
        }
        return next(invocationContext);
    }
}
