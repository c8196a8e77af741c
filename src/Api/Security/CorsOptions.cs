namespace BackpropService.Api.Security;

/// <summary>Cross-origin access, bound from "Cors": off (no CORS headers at all) unless origins are listed.</summary>
public sealed class ApiCorsOptions
{
    /// <summary>Origins allowed to call the API from a browser, e.g. <c>https://dashboard.example.com</c>.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
