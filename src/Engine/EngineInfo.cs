namespace BackpropService.Engine;

internal static class EngineInfo;
