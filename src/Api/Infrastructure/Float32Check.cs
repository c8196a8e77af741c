using BackpropService.Engine;

namespace BackpropService.Api.Infrastructure;

/// <summary>Records the first number of a row (or of rows) outside the float32 range, naming its path.</summary>
public static class Float32Check
{
    public static bool Row(double[]? row, string path, ValidationErrors errors)
    {
        if (row is null) return true;
        for (var i = 0; i < row.Length; i++)
        {
            if (FloatRange.Fits(row[i])) continue;
            errors.Add($"{path}[{i}]", FloatRange.Outside(row[i]));
            return false;
        }
        return true;
    }

    public static bool Rows(double[][]? rows, string path, ValidationErrors errors)
    {
        if (rows is null) return true;
        for (var r = 0; r < rows.Length; r++)
            if (!Row(rows[r], $"{path}[{r}]", errors)) return false;
        return true;
    }
}
