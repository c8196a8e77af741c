namespace BackpropService.Api.Infrastructure;

/// <summary>Collects field-path → messages for a <c>ValidationProblem</c>; the first message becomes the detail.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>How many fields have an error.</summary>
    public int Count => _errors.Count;

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>Adds every error of <paramref name="other"/>, under the same fields.</summary>
    public void AddAll(ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
            foreach (var message in messages) Add(field, message);
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public string Summary => string.Join(" ", _errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}
