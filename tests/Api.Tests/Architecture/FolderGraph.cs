using System.Reflection;
using System.Reflection.Emit;

namespace BackpropService.Api.Tests.Architecture;

/// <summary>
/// Which folders of the Api assembly use which: a folder is a namespace <c>BackpropService.Api.X</c> (its
/// sub-namespaces counted with it), and X uses Y when a type of X names a type of Y anywhere the compiled code does:
/// base type, interfaces, fields, properties, signatures, locals, and every type, method or field a method body
/// refers to (read from its IL, so lambdas and async methods count, and so do fully qualified names).
/// </summary>
public sealed class FolderGraph
{
    private const string Root = "BackpropService.Api.";

    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value));

    /// <summary>For each edge "X → Y", one type of X and the type of Y it uses (for the failure message).</summary>
    public Dictionary<(string From, string To), string> Edges { get; } = [];

    public static FolderGraph Of(Assembly assembly)
    {
        var graph = new FolderGraph();
        foreach (var type in assembly.GetTypes())
        {
            if (Folder(type) is not { } from) continue;
            foreach (var used in graph.Uses(type))
                if (Folder(used) is { } to && to != from)
                    graph.Edges.TryAdd((from, to), $"{type.FullName} uses {used.FullName}");
        }
        return graph;
    }

    public IEnumerable<string> Folders => Edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order();

    /// <summary>One cycle (its folders in order, the first repeated at the end), or null when there is none.</summary>
    public List<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(); // 1: on the current path, 2: done
        var path = new List<string>();
        foreach (var start in Folders)
            if (Visit(start) is { } cycle) return cycle;
        return null;

        List<string>? Visit(string folder)
        {
            if (state.GetValueOrDefault(folder) == 2) return null;
            if (state.GetValueOrDefault(folder) == 1) return [.. path.Skip(path.IndexOf(folder)), folder];
            state[folder] = 1;
            path.Add(folder);
            foreach (var next in Edges.Keys.Where(e => e.From == folder).Select(e => e.To).Order())
                if (Visit(next) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            state[folder] = 2;
            return null;
        }
    }

    private static string? Folder(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith(Root, StringComparison.Ordinal)) return null;
        var rest = ns[Root.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private IEnumerable<Type> Uses(Type type)
    {
        var used = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !used.Add(t)) return;
            if (t.HasElementType) Add(t.GetElementType());
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments()) Add(argument);
            }
        }
        void AddMember(MemberInfo? member)
        {
            switch (member)
            {
                case Type t: Add(t); break;
                case FieldInfo f: Add(f.DeclaringType); Add(f.FieldType); break;
                case MethodInfo m: Add(m.DeclaringType); Add(m.ReturnType); foreach (var p in m.GetParameters()) Add(p.ParameterType); break;
                case ConstructorInfo c: Add(c.DeclaringType); foreach (var p in c.GetParameters()) Add(p.ParameterType); break;
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var f in type.GetFields(declared)) Add(f.FieldType);
        foreach (var p in type.GetProperties(declared)) Add(p.PropertyType);
        foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
        {
            AddMember(method);
            var body = method.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) Add(local.LocalType);
            foreach (var token in Tokens(body.GetILAsByteArray() ?? []))
                AddMember(Resolve(method, token));
        }
        return used;
    }

    private static MemberInfo? Resolve(MethodBase method, int token)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        return method.Module.ResolveMember(token, typeArguments, methodArguments);
    }

    /// <summary>The metadata tokens of the instructions that name a type, method or field.</summary>
    private static IEnumerable<int> Tokens(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? OpCodesByValue[(ushort)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    yield return BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    i += 4;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
            }
        }
    }
}
