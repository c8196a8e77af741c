namespace BackpropService.Engine;

/// <summary>One rejected setting: <see cref="Field"/> is its camelCase name as the API spells it (e.g. <c>learningRate</c>).</summary>
public readonly record struct FieldError(string Field, string Message);
