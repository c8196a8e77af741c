/// <summary>Makes the entry point visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
