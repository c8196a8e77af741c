using System.CommandLine;
using BackpropService.Cli.Output;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary>
/// <c>backprop edit JOB [--name N] [--notes TEXT] [--tag T ...]</c>: a run's metadata in one PATCH. One command rather
/// than rename/note/tag: the service changes any mix of the three in one request (merge semantics), so one command
/// does too, atomically, and its flags read as the fields they set. A reset is a flag of its own (<c>--reset-name</c>,
/// <c>--clear-notes</c>, <c>--clear-tags</c>), never an empty value, which the service rightly refuses as a name.
/// </summary>
public static class EditCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var name = new Option<string?>("--name") { Description = "Rename the run" };
        var resetName = new Option<bool>("--reset-name") { Description = "Name the run after its network again" };
        var notes = new Option<string?>("--notes", "--note") { Description = "Set the run's notes" };
        var clearNotes = new Option<bool>("--clear-notes") { Description = "Remove the run's notes" };
        var tags = new Option<string[]>("--tag") { Description = "Set the run's tags: repeat for several; replaces the tags it had" };
        var clearTags = new Option<bool>("--clear-tags") { Description = "Remove all the run's tags" };
        var command = new Command("edit", "Rename a job, set its notes or its tags") { id, name, resetName, notes, clearNotes, tags, clearTags };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var update = new JobUpdate
            {
                Name = Choose(parse.GetValue(name), parse.GetValue(resetName), "--name", "--reset-name"),
                Notes = Choose(parse.GetValue(notes), parse.GetValue(clearNotes), "--notes", "--clear-notes"),
                Tags = Choose(parse.GetValue(tags) is { Length: > 0 } given ? given : null, parse.GetValue(clearTags), "--tag", "--clear-tags"),
            };
            if (update.IsEmpty) throw new UsageException("Nothing to change: give --name, --notes or --tag (or --reset-name, --clear-notes, --clear-tags).");
            var job = await client.UpdateJobAsync(parse.GetRequiredValue(id), update, ct);
            if (parse.GetValue(runner.Globals.Json)) JsonOutput.Write(runner.Env.Out, job);
            else runner.Env.Out.MarkupLine(Describe(job));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The value to set, null to reset, or unset; both for one field is a usage error.</summary>
    private static Patch<T?> Choose<T>(T? value, bool reset, string set, string clear) where T : class => (value, reset) switch
    {
        (not null, true) => throw new UsageException($"{set} and {clear} contradict each other; give one."),
        (not null, false) => value,
        (null, true) => new Patch<T?>(null),
        _ => default,
    };

    /// <summary><c>job ID: name "xor, lr 0.5"  tags baseline, xor  notes: first try</c>.</summary>
    public static string Describe(Job job)
    {
        var tags = job.Tags.Count == 0 ? "no tags" : "tags " + string.Join(", ", job.Tags);
        var notes = job.Notes is null ? "no notes" : "notes: " + job.Notes;
        return $"job {Markup.Escape(job.Id)}: name \"{Markup.Escape(job.Name ?? "")}\"  {Markup.Escape(tags)}  {Markup.Escape(notes)}";
    }
}
