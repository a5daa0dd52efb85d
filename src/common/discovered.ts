import type { DiscoverableDecorator, DiscoveryService } from '@nestjs/core';

/**
 * Every provider marked with `marker`, in any module, checked to have the method its consumer
 * calls: a marked class without it fails the first use loudly instead of being skipped.
 */
export function discovered<T>(
  discovery: DiscoveryService,
  marker: DiscoverableDecorator<undefined>,
  method: keyof T & string,
): T[] {
  return discovery.getProviders({ metadataKey: marker.KEY }).map((wrapper) => {
    const instance: unknown = wrapper.instance;
    if (
      typeof instance !== 'object' ||
      instance === null ||
      typeof (instance as Record<string, unknown>)[method] !== 'function'
    ) {
      throw new Error(`${wrapper.name} is marked as a subscriber but has no ${method}()`);
    }
    return instance as T;
  });
}
