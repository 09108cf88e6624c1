// The header banner and the sign-in guard in front of the account pages.
import { isSignedIn } from './api';

export function requireSignIn(navigate: (path: string) => void): void {
  if (!isSignedIn()) {
    navigate('/login');
  }
}

export async function renderBanner(element: HTMLElement): Promise<void> {
  element.textContent = (await isSignedIn()) ? 'Welcome back!' : 'Sign in to see your orders';
}
