namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// A fact that needs PostgreSQL and Redis. Without them it skips with the reason, except under CI (CI=true), where
/// .ci/services.sh starts them: there the test runs and fails on the missing service instead of hiding it.
/// </summary>
public sealed class ScaleOutFactAttribute : FactAttribute
{
    public ScaleOutFactAttribute()
    {
        if (ScaleOutServices.Missing is { } missing && !ScaleOutServices.UnderCi) Skip = missing;
    }
}
