using System.CommandLine;
using System.Globalization;
using BackpropService.Cli.Output;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop jobs [--status S] [--tag T] [--search TEXT]</c>: the newest jobs as a table.</summary>
public static class JobsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var status = new Option<JobStatus?>("--status") { Description = "Only jobs in this status (queued, running, succeeded, failed, cancelled)" };
        var tag = new Option<string?>("--tag") { Description = "Only jobs carrying this tag (exactly)" };
        var search = new Option<string?>("--search") { Description = "Only jobs whose name or notes contain this text (ignoring case)" };
        var limit = new Option<int>("--limit") { Description = "How many jobs, newest first", DefaultValueFactory = _ => 20 };
        var command = new Command("jobs", "List jobs, newest first") { status, tag, search, limit };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var query = new JobListQuery { Status = parse.GetValue(status), Tag = parse.GetValue(tag), Search = parse.GetValue(search), Limit = parse.GetValue(limit) };
            var page = await client.ListJobsAsync(query, ct);
            if (parse.GetValue(runner.Globals.Json))
            {
                JsonOutput.Write(runner.Env.Out, page.Items);
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("Job", "Name", "Status", "Epochs", "Cost", "Tags", "Created (UTC)");
            table.Columns[0].NoWrap();
            foreach (var job in page.Items)
                table.AddRow(
                    Markup.Escape(job.Id),
                    Markup.Escape(job.Name ?? ""),
                    Status(job),
                    $"{job.EpochsCompleted}/{job.Epochs}",
                    job.Cost?.ToString("G4", CultureInfo.InvariantCulture) ?? "–",
                    Markup.Escape(string.Join(", ", job.Tags)),
                    job.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            if (page.Items.Count == 0) runner.Env.Out.MarkupLine("no jobs");
            else runner.Env.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A queued job shows its place in the queue (1: claimed next).</summary>
    private static string Status(Job job)
    {
        var status = job.Status.ToString().ToLowerInvariant();
        return job is { Status: JobStatus.Queued, QueuePosition: { } position } ? $"{status} (#{position})" : status;
    }
}
