using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence;

public sealed class BackpropDbContext(DbContextOptions<BackpropDbContext> options) : DbContext(options);
