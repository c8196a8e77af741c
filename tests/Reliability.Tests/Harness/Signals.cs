using System.Runtime.InteropServices;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>POSIX signals, sent with libc's kill(2): the faults these tests inject are real ones.</summary>
internal static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }
}
