using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary>What Ctrl+C while following means: on a terminal, ask; otherwise (redirected, --json) detach, leaving the work running on the service.</summary>
public static class DetachOrCancel
{
    /// <summary>True when the user chose to cancel; arms Ctrl+C afresh for whatever the command does next.</summary>
    public static bool AskToCancel(CliEnvironment env, bool json, string question)
    {
        env.Interrupts.Reset();
        return !json && env.Out.Profile.Capabilities.Interactive &&
            env.Out.Prompt(new SelectionPrompt<string>().Title(question).AddChoices("detach", "cancel")) == "cancel";
    }
}
