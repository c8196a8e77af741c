namespace BackpropService.Client.Models;

/// <summary>
/// <c>PATCH /api/jobs/{id}</c>: the run's name, notes and tags with JSON merge semantics. A member left unset is not
/// sent and stays as it is; one set to null is sent as null and resets it (<see cref="Name"/> back to the network's
/// name, no notes, no tags); <see cref="Tags"/> replaces the whole list.
/// <code>new JobUpdate { Name = "baseline", Notes = null }   // rename, drop the notes, keep the tags</code>
/// </summary>
public sealed record JobUpdate
{
    public Patch<string?> Name { get; init; }
    public Patch<string?> Notes { get; init; }
    public Patch<string[]?> Tags { get; init; }

    /// <summary>True when no member is set (the PATCH would change nothing).</summary>
    public bool IsEmpty => !Name.IsSet && !Notes.IsSet && !Tags.IsSet;
}

/// <summary>One member of a merge patch: unset (<c>default</c>, left out of the body) or set to a value, null included.</summary>
public readonly record struct Patch<T>
{
    public Patch(T value) => (Value, IsSet) = (value, true);

    public bool IsSet { get; }
    public T Value { get; }

    public static implicit operator Patch<T>(T value) => new(value);
}
