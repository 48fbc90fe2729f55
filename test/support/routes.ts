import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_KEY, AccessRule } from '@halve/platform';

export interface RouteInfo {
  controller: string;
  handler: string;
  method: string;
  path: string;
  access?: AccessRule;
}

/** Every HTTP route of the application, read from Nest's own metadata (not from a hand-kept list). */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
    const proto = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(proto)) {
      const fn = proto[name];
      const path = Reflect.getMetadata(PATH_METADATA, fn);
      const method = Reflect.getMetadata(METHOD_METADATA, fn);
      if (path === undefined || method === undefined) continue;
      const full = `/api/v1/${[base, String(path)].filter((p) => p && p !== '/').join('/')}`
        .replace(/\/+/g, '/')
        .replace(/\/$/, '');
      routes.push({
        controller: wrapper.metatype.name,
        handler: name,
        method: RequestMethod[method as RequestMethod],
        path: full,
        access: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [fn, wrapper.metatype]),
      });
    }
  }
  return routes;
}
