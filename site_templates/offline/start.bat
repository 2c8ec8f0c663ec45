@echo off
rem Start the offline handbook: serve it on 127.0.0.1 and open the browser (Ctrl+C stops).
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel%==0 (
  py -3 serve.py %*
  goto :eof
)
where python >nul 2>nul
if %errorlevel%==0 (
  python serve.py %*
  goto :eof
)
echo Python 3 is needed to start the calculators: https://www.python.org/downloads/
echo Without it, open site\index.html directly: everything except the calculators works.
pause
