using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BackpropService.Persistence;

/// <summary>
/// An EF compiled query (<c>EF.CompileAsyncQuery</c>) for each model it meets. A compiled query skips what a LINQ
/// query costs on every call (evaluating its closures, hashing and comparing its expression against the query cache),
/// but it binds to the model it first ran on and throws on a context of another; a process can hold several models
/// (the SQLite and the PostgreSQL context, each test host's own), so one is compiled per model.
/// </summary>
public sealed class PerModel<TQuery> where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = [];
    private readonly ConditionalWeakTable<IModel, TQuery>.CreateValueCallback _compile;

    public PerModel(Func<TQuery> compile) => _compile = _ => compile();

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(DbContext db) => _compiled.GetValue(db.Model, _compile);
}
